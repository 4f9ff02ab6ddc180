package com.monei.connect.server.account;

import java.time.Instant;

/** Failed sign-ins, shared by every server process so limits hold across them. */
public interface LoginFailureStore {
  void record(String subject, Instant at);

  int countSince(String subject, Instant since);
}
