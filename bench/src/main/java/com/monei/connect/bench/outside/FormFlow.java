package com.monei.connect.bench.outside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.monei.connect.bench.QueryString;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.FormElement;
import org.jsoup.select.Elements;

/**
 * One whole authorization against any peer, driven only by what its pages say (the peer contract of
 * bench/outside): GET the authorization URL (PKCE S256, state, nonce when openid, prompt=consent),
 * follow redirects with a fresh cookie jar, fill the form that has a password input with the user's
 * name and password, submit the consent form with every checkbox ticked and CONSENT_SUBMIT added,
 * follow redirects until the Location starts with REDIRECT_URI, then exchange the code with the
 * code_verifier at TOKEN_URL (client_id and client_secret in the body, JSON or form per TOKEN_BODY).
 * Anything unexpected throws {@link Failed} with the step, the status and the page's first 300
 * characters. One instance per client thread (its connection is kept between flows, its cookies not).
 */
final class FormFlow {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** Requests of one flow before the code; a real flow needs fewer than ten. */
  private static final int MAX_STEPS = 25;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<String> NOT_SENT = Set.of("submit", "image", "button", "reset", "file");

  /** Tokens from one code exchange. */
  record Tokens(String access, String refresh) {}

  /** An unexpected answer or page: the flow is abandoned. */
  static final class Failed extends Exception {
    Failed(String message) {
      super(message, null, false, false);
    }
  }

  private final Peer peer;
  private final HttpClient http;
  private final CookieJar cookies = new CookieJar();
  private final boolean json;
  private final String redirectUri;
  private final String consentName;
  private final String consentValue;
  private final String username;

  /** Flows of client {@code client}: it signs in as that client's user (see {@link Peer#usernames}). */
  FormFlow(Peer peer, int client) {
    this.peer = peer;
    List<String> users = peer.usernames();
    this.username = users.get(Math.floorMod(client, users.size()));
    this.http = client();
    this.json = peer.jsonBody();
    this.redirectUri = peer.get("REDIRECT_URI");
    String submit = peer.optional("CONSENT_SUBMIT").strip();
    int eq = submit.indexOf('=');
    this.consentName = submit.isEmpty() ? null : eq < 0 ? submit : submit.substring(0, eq);
    this.consentValue = submit.isEmpty() ? null : eq < 0 ? "" : submit.substring(eq + 1);
  }

  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A request about to be sent: method, target and (for POST) a form body. */
  private record Step(String method, URI uri, String formBody) {}

  Tokens run() throws Failed, IOException, InterruptedException {
    cookies.clear();
    String state = random(16);
    String verifier = random(32);
    String scopes = peer.get("SCOPES");
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", peer.get("CLIENT_ID"));
    query.put("redirect_uri", redirectUri);
    query.put("scope", scopes);
    query.put("state", state);
    query.put("code_challenge", challenge(verifier));
    query.put("code_challenge_method", "S256");
    query.put("prompt", "consent");
    if (Arrays.asList(scopes.split(" ")).contains("openid")) query.put("nonce", random(16));
    String authorize = peer.get("AUTHORIZE_URL");
    Step step = new Step("GET", URI.create(authorize + (authorize.contains("?") ? "&" : "?") + encode(query)), null);
    int logins = 0;
    int consents = 0;
    for (int n = 0; n < MAX_STEPS; n++) {
      HttpResponse<String> answer = send(step);
      int status = answer.statusCode();
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        String location = answer.headers().firstValue("Location")
            .orElseThrow(() -> failed("redirect without a Location", answer));
        URI target;
        try {
          target = step.uri().resolve(location.strip());
        } catch (IllegalArgumentException e) {
          throw failed("redirect to an unreadable Location " + location, answer);
        }
        if (target.toString().startsWith(redirectUri)) return exchange(code(target, state, answer), verifier);
        boolean keep = (status == 307 || status == 308) && step.method().equals("POST");
        step = keep ? new Step("POST", target, step.formBody()) : new Step("GET", target, null);
        continue;
      }
      if (status != 200) throw failed("unexpected status", answer);
      Document page = Jsoup.parse(answer.body(), answer.uri().toString());
      List<FormElement> forms = page.forms();
      FormElement login = null;
      for (FormElement f : forms) {
        if (!controls(f).select("input[type=password]").isEmpty()) {
          login = f;
          break;
        }
      }
      if (login != null) {
        if (++logins > 1) throw failed("the login form came back after signing in (wrong user or password?)", answer);
        List<String[]> fields = fields(login, false);
        put(fields, peer.get("USER_FIELD"), username);
        put(fields, peer.get("PASSWORD_FIELD"), peer.get("PASSWORD"));
        // Pressing Enter submits with the form's first submit button, name and value included.
        for (Element c : controls(login)) {
          if (isSubmit(c)) {
            if (!c.attr("name").isEmpty()) fields.add(new String[] {c.attr("name"), c.attr("value")});
            break;
          }
        }
        step = submission(login, fields, answer);
      } else {
        if (++consents > 2) throw failed("a third form page after the login (consent refused?)", answer);
        FormElement consent = consentForm(forms, answer);
        List<String[]> fields = fields(consent, true);
        if (consentName != null) fields.add(new String[] {consentName, consentValue});
        step = submission(consent, fields, answer);
      }
    }
    throw new Failed("no redirect to REDIRECT_URI after " + MAX_STEPS + " requests");
  }

  /** The form to approve with: the one holding the CONSENT_SUBMIT button, else one with checkboxes, else the only one. */
  private FormElement consentForm(List<FormElement> forms, HttpResponse<String> answer) throws Failed {
    if (forms.isEmpty()) throw failed("a page with no form, where a login or consent form was expected", answer);
    if (consentName != null) {
      for (FormElement f : forms) {
        for (Element c : controls(f)) {
          // An empty value (Keycloak's accept=) names the button only: the server looks at the name.
          if (isSubmit(c) && c.attr("name").equals(consentName)
              && (consentValue.isEmpty() || c.attr("value").equals(consentValue))) return f;
        }
      }
      throw failed("no form with a submit button " + consentName + "=" + consentValue + " (CONSENT_SUBMIT)", answer);
    }
    for (FormElement f : forms) if (!controls(f).select("input[type=checkbox]").isEmpty()) return f;
    List<FormElement> posts = new ArrayList<>();
    for (FormElement f : forms) if (f.attr("method").equalsIgnoreCase("post")) posts.add(f);
    if (posts.size() == 1) return posts.get(0);
    if (forms.size() == 1) return forms.get(0);
    throw failed(forms.size() + " forms and no way to tell the consent form (set CONSENT_SUBMIT)", answer);
  }

  /** The form's controls, from the parser's association or, failing that, its descendants. */
  private static Elements controls(FormElement form) {
    Elements associated = form.elements();
    return associated.isEmpty() ? form.select("input, select, textarea, button") : associated;
  }

  private static boolean isSubmit(Element c) {
    String type = c.attr("type").toLowerCase(Locale.ROOT);
    return (c.tagName().equals("button") && (type.isEmpty() || type.equals("submit")))
        || (c.tagName().equals("input") && (type.equals("submit") || type.equals("image")));
  }

  /**
   * What a browser sends for this form, with every checkbox ticked when {@code tickAll} (the
   * consent form; its value, "on" by default), else only those checked (the login form, where a
   * "remember me" stays as the page has it): text-like inputs with their value, hidden inputs, the
   * checked radio of each group (else its first), each select's selected options (else its first),
   * textareas; no buttons.
   */
  private static List<String[]> fields(FormElement form, boolean tickAll) {
    List<String[]> fields = new ArrayList<>();
    Set<String> radioGroups = new HashSet<>();
    Map<String, Element> firstRadio = new LinkedHashMap<>();
    for (Element c : controls(form)) {
      String name = c.attr("name");
      if (name.isEmpty() || c.hasAttr("disabled")) continue;
      switch (c.tagName()) {
        case "input" -> {
          String type = c.attr("type").toLowerCase(Locale.ROOT);
          if (NOT_SENT.contains(type)) continue;
          if (type.equals("checkbox")) {
            if (tickAll || c.hasAttr("checked")) fields.add(new String[] {name, c.hasAttr("value") ? c.attr("value") : "on"});
          } else if (type.equals("radio")) {
            firstRadio.putIfAbsent(name, c);
            if (c.hasAttr("checked")) {
              radioGroups.add(name);
              fields.add(new String[] {name, c.hasAttr("value") ? c.attr("value") : "on"});
            }
          } else {
            fields.add(new String[] {name, c.attr("value")});
          }
        }
        case "select" -> {
          Elements options = c.select("option");
          Elements selected = c.select("option[selected]");
          if (selected.isEmpty() && !options.isEmpty() && !c.hasAttr("multiple")) selected = new Elements(options.first());
          for (Element o : selected) fields.add(new String[] {name, o.hasAttr("value") ? o.attr("value") : o.text()});
        }
        case "textarea" -> fields.add(new String[] {name, c.val()});
        default -> { }
      }
    }
    firstRadio.forEach((name, radio) -> {
      if (!radioGroups.contains(name)) fields.add(new String[] {name, radio.hasAttr("value") ? radio.attr("value") : "on"});
    });
    return fields;
  }

  private static void put(List<String[]> fields, String name, String value) {
    fields.removeIf(f -> f[0].equals(name));
    fields.add(new String[] {name, value});
  }

  private static Step submission(FormElement form, List<String[]> fields, HttpResponse<String> page) throws Failed {
    String action = form.hasAttr("action") && !form.attr("action").isBlank() ? form.absUrl("action") : page.uri().toString();
    if (action.isEmpty()) throw failed("a form action that does not resolve: " + form.attr("action"), page);
    URI target = URI.create(action.replace(" ", "%20"));
    StringBuilder body = new StringBuilder();
    for (String[] f : fields) {
      if (body.length() > 0) body.append('&');
      body.append(enc(f[0])).append('=').append(enc(f[1]));
    }
    if (form.attr("method").equalsIgnoreCase("post")) return new Step("POST", target, body.toString());
    String base = target.toString();
    int cut = base.indexOf('?') >= 0 ? base.indexOf('?') : base.indexOf('#');
    return new Step("GET", URI.create((cut >= 0 ? base.substring(0, cut) : base) + "?" + body), null);
  }

  private HttpResponse<String> send(Step step) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(step.uri()).timeout(REQUEST_TIMEOUT)
        .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    String cookie = cookies.header(step.uri());
    if (cookie != null) b.header("Cookie", cookie);
    if (step.method().equals("POST")) {
      b.header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(step.formBody()));
    } else {
      b.GET();
    }
    HttpResponse<String> answer = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    cookies.store(step.uri(), answer.headers());
    return answer;
  }

  private static String code(URI back, String state, HttpResponse<String> answer) throws Failed {
    Map<String, String> q = QueryString.parse(back.toString());
    if (q.containsKey("error"))
      throw failed("sent back with error=" + q.get("error") + " " + q.getOrDefault("error_description", ""), answer);
    if (!state.equals(q.get("state"))) throw failed("sent back without our state: " + back, answer);
    String code = q.get("code");
    if (code == null || code.isEmpty()) throw failed("sent back without a code: " + back, answer);
    return code;
  }

  private Tokens exchange(String code, String verifier) throws Failed, IOException, InterruptedException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("grant_type", "authorization_code");
    params.put("code", code);
    params.put("redirect_uri", redirectUri);
    params.put("code_verifier", verifier);
    params.put("client_id", peer.get("CLIENT_ID"));
    params.put("client_secret", peer.get("CLIENT_SECRET"));
    HttpResponse<String> answer = http.send(tokenRequest(peer, json, params), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) throw failed("code exchange refused", answer);
    JsonNode tokens = JSON.readTree(answer.body());
    if (!tokens.hasNonNull("access_token") || !tokens.hasNonNull("refresh_token"))
      throw failed("code exchange without both an access_token and a refresh_token", answer);
    return new Tokens(tokens.get("access_token").asText(), tokens.get("refresh_token").asText());
  }

  /** A POST to TOKEN_URL with these parameters as JSON or as a form. */
  static HttpRequest tokenRequest(Peer peer, boolean json, Map<String, String> params) throws IOException {
    String body = json ? JSON.writeValueAsString(params) : encode(params);
    return HttpRequest.newBuilder(URI.create(peer.get("TOKEN_URL"))).timeout(REQUEST_TIMEOUT)
        .header("Content-Type", json ? "application/json" : "application/x-www-form-urlencoded")
        .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  static Failed failed(String what, HttpResponse<String> answer) {
    String body = answer.body() == null ? "" : answer.body().strip();
    return new Failed(what + ": " + answer.request().method() + " " + answer.uri() + " answered "
        + answer.statusCode() + ": " + body.substring(0, Math.min(300, body.length())).replaceAll("\\s+", " "));
  }

  static String encode(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
    return sb.toString();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String challenge(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
