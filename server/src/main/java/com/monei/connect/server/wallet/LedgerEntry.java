package com.monei.connect.server.wallet;

import java.time.Instant;

/**
 * A ledger transaction seen from one wallet: {@code type} is send or receive for a transfer
 * (depending on the side), credit for an operator credit. {@code seq} orders a wallet's history.
 */
public record LedgerEntry(String id, String type, long amountMinor, Currency currency, String counterpartyWalletId,
    String counterpartyName, String note, Instant createdAt, long seq) {}
