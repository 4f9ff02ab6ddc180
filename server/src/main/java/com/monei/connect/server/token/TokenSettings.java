package com.monei.connect.server.token;

import java.time.Duration;

/** How long the tokens {@link TokenService} mints stay valid (SPEC 1.5); the defaults are in Config. */
public record TokenSettings(Duration accessTokenTtl, Duration refreshTokenTtl) {}
