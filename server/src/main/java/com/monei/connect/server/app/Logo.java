package com.monei.connect.server.app;

/** An app's logo as Monei stores and serves it, from Monei's own origin. */
public record Logo(String contentType, byte[] data, String sha256) {}
