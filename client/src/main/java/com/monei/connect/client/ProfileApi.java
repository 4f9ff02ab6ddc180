package com.monei.connect.client;

import java.util.Objects;

/**
 * The profile API as one user ({@link MoneiConnect#profile}); errors as for {@link WalletApi}.
 */
public final class ProfileApi {
  private final ApiClient api;
  private final String userKey;

  ProfileApi(ApiClient api, String userKey) {
    this.api = api;
    this.userKey = Objects.requireNonNull(userKey, "userKey");
  }

  /** The user's id, name and email address (scope {@code profile:read}). */
  public Profile me() {
    return api.get(userKey, "/api/v1/profile/me", Profile::parse);
  }

  @Override
  public String toString() {
    return "ProfileApi[" + userKey + "]";
  }
}
