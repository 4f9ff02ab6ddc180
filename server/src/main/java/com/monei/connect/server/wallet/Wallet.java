package com.monei.connect.server.wallet;

import java.time.Instant;
import java.util.List;

/** A user's wallet with one balance per currency it has held; {@code updatedAt} is its last movement. */
public record Wallet(String id, String userId, List<Balance> balances, Instant updatedAt) {}
