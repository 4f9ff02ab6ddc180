package com.monei.connect.server.oauth;

import java.time.Instant;
import java.util.Set;

/**
 * A validated authorization request waiting for the user's decision on the consent screen (the
 * "interaction"). It is bound to the browser session that started it and used once.
 */
public record PendingAuthorization(String id, String sessionHash, String userId, String clientId,
    String redirectUri, boolean redirectUriGiven, Set<String> scopes, String state, String codeChallenge,
    boolean forceConsent, Instant createdAt, Instant expiresAt) {}
