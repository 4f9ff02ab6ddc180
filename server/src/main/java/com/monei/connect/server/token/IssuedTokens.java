package com.monei.connect.server.token;

import java.util.Set;

/** A successful token response's content. */
public record IssuedTokens(String accessToken, String refreshToken, long expiresIn, Set<String> scopes) {}
