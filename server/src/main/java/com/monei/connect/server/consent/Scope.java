package com.monei.connect.server.consent;

/** One permission an app can ask for, with the sentence the consent screen shows for it. */
public record Scope(String name, String description) {}
