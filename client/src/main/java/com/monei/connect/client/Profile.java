package com.monei.connect.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The user's profile ({@code GET /api/v1/profile/me}, scope {@code profile:read}).
 *
 * @param id Monei's id of the user
 * @param name the user's display name
 * @param email the user's email address
 */
public record Profile(String id, String name, String email) {

  static Profile parse(JsonNode node) {
    return new Profile(Json.text(node, "id"), Json.optionalText(node, "name"), Json.optionalText(node, "email"));
  }
}
