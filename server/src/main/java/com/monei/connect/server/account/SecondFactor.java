package com.monei.connect.server.account;

/**
 * The second step of a user who has turned one on (SPEC 7): asked after the password at sign-in,
 * and instead of it when the user confirms a send. A seam, so that the pages asking for it need not
 * know how codes are made and checked.
 */
public interface SecondFactor {
  /** No user has a second step: the state before two-step verification exists. */
  SecondFactor NONE = new SecondFactor() {
    @Override
    public boolean enabled(String userId) {
      return false;
    }

    @Override
    public boolean verify(String userId, String code) {
      return false;
    }
  };

  /** True when the user has two-step verification turned on. */
  boolean enabled(String userId);

  /**
   * Checks a current code (or an unused recovery code) of the user and uses it up, so that it is
   * never accepted twice; false when it is wrong, replayed or the user has no second step. Callers
   * count the attempt against the sign-in limits (LoginAttempts) before calling this.
   */
  boolean verify(String userId, String code);
}
