package com.monei.connect.server.account;

import java.time.Instant;

/**
 * A WebAuthn credential of a user (SPEC 7): its public key as a COSE key, the authenticator's
 * signature counter, and the name the user gave it. Ids and keys are base64url.
 */
public record Passkey(String id, String userId, String credentialId, String userHandle, String publicKey,
    String aaguid, long signCount, boolean uvInitialized, boolean backupEligible, boolean backupState, String name,
    Instant createdAt, Instant lastUsedAt) {}
