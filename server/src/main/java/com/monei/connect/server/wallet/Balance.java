package com.monei.connect.server.wallet;

/** What a wallet holds in one currency, in minor units. */
public record Balance(Currency currency, long availableMinor) {}
