package com.monei.connect.server.token;

import java.time.Instant;
import java.util.Set;

/** What a valid access token lets its bearer do; {@code familyLastUsedAt} may be null. */
public record AccessGrant(String familyId, String clientId, String userId, Set<String> scopes,
    Instant issuedAt, Instant expiresAt, Instant familyLastUsedAt) {}
