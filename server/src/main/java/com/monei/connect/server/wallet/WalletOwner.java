package com.monei.connect.server.wallet;

/** A user's wallet with the owner's display name, as a transfer's counterparty. */
public record WalletOwner(String walletId, String userId, String name) {}
