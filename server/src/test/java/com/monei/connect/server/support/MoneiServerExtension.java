package com.monei.connect.server.support;

import com.monei.connect.server.Config;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a {@link TestServer} once per test class (or once per test method, see {@link #perMethod})
 * and injects it, and a fresh {@link MoneiTestClient} per parameter, into constructors,
 * {@code @BeforeAll}/{@code @BeforeEach} methods and test methods. The server starts on first
 * injection, so a class whose assumptions skip it first starts nothing, and closes with the class
 * (or method): JUnit closes what the extension keeps in its store.
 *
 * <p>Default settings: {@link WithTestServer @WithTestServer} on the class. Adjusted settings:
 * {@code @RegisterExtension static final MoneiServerExtension MONEI =
 * MoneiServerExtension.with(c -> c.withCodeTtl(Duration.ofSeconds(5)));}
 */
public final class MoneiServerExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(MoneiServerExtension.class);

  private final UnaryOperator<Config> settings;
  private final boolean perMethod;

  /** The default settings, one server per class; what {@code @WithTestServer} registers. */
  public MoneiServerExtension() {
    this(c -> c, false);
  }

  private MoneiServerExtension(UnaryOperator<Config> settings, boolean perMethod) {
    this.settings = settings;
    this.perMethod = perMethod;
  }

  /** One server per class with adjusted settings, e.g. {@code c -> c.withLoginMaxFailures(3)}. */
  public static MoneiServerExtension with(UnaryOperator<Config> settings) {
    return new MoneiServerExtension(settings, false);
  }

  /**
   * A fresh server (new clock, empty database) for every test method, for tests that move the clock
   * or need a clean database per case. Inject it into {@code @BeforeEach} or test methods; there is
   * no class-wide server to hand to a constructor or {@code @BeforeAll}.
   */
  public MoneiServerExtension perMethod() {
    return new MoneiServerExtension(settings, true);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestServer.class || type == MoneiTestClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestServer server = server(context);
    return parameter.getParameter().getType() == TestServer.class ? server : new MoneiTestClient(server);
  }

  /** The server of this class (or method), started on first use and closed with its context. */
  private TestServer server(ExtensionContext context) {
    ExtensionContext owner = perMethod ? context : classContext(context);
    if (perMethod && context.getTestMethod().isEmpty())
      throw new ParameterResolutionException("a per-method test server exists only inside a test method");
    return owner.getStore(NAMESPACE).computeIfAbsent(TestServer.class, key -> TestServer.start(settings),
        TestServer.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) c = c.getParent().get();
    return c;
  }
}
