package com.monei.connect.server.wallet;

/** A currency and how many decimal places its minor unit has (NGN 2, JPY 0). */
public record Currency(String code, int minorUnits) {}
