package com.monei.connect.server.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One {@link TestServer} with the default settings for the annotated class, injected as a parameter
 * with fresh {@link MoneiTestClient}s; see {@link MoneiServerExtension} for adjusted settings.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(MoneiServerExtension.class)
public @interface WithTestServer {}
