package com.monei.connect.server.token;

import java.util.Set;

/** A successful token response's content, and whose grant it is (the response describes its send limit). */
public record IssuedTokens(String accessToken, String refreshToken, long expiresIn, Set<String> scopes,
    String userId) {}
