package com.monei.connect.server.web;

import com.monei.connect.server.account.Session;
import com.monei.connect.server.token.Hashes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens derived from the session id, which only the browser and this request know (the
 * database keeps just its hash): HMAC-SHA256(session id, purpose). A purpose such as
 * "consent:&lt;request id&gt;" also binds a token to one authorization request. Nothing is stored.
 */
public final class Csrf {
  public static final String FIELD = "csrf_token";

  private Csrf() {}

  public static String token(Session session, String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(session.id().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] tag = mac.doFinal(("csrf:" + purpose).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static boolean verify(Session session, String purpose, String presented) {
    return presented != null && Hashes.constantTimeEquals(token(session, purpose), presented);
  }
}
