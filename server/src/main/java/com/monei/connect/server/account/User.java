package com.monei.connect.server.account;

/** A Monei user. The email is stored lower-cased. */
public record User(String id, String email, String name, String passwordHash) {}
