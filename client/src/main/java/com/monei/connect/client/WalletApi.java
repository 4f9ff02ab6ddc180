package com.monei.connect.client;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The wallet API as one user ({@link MoneiConnect#wallet}). Every call refreshes the user's token
 * when needed and may throw {@link InsufficientScopeException} (scope not granted),
 * {@link GrantRevokedException} (the user must reconnect) or another {@link MoneiApiException}.
 */
public final class WalletApi {
  private final ApiClient api;
  private final String userKey;

  WalletApi(ApiClient api, String userKey) {
    this.api = api;
    this.userKey = Objects.requireNonNull(userKey, "userKey");
  }

  /** The user's wallet and balances (scope {@code wallet:read}). */
  public Wallet me() {
    return api.get(userKey, "/api/v1/wallet/me", Wallet::parse);
  }

  /** The first page of the wallet's history, newest first, with the server's default page size (scope {@code wallet:read}). */
  public TransactionPage transactions() {
    return transactions(null, null);
  }

  /**
   * A page of the wallet's history, newest first (scope {@code wallet:read}).
   *
   * @param limit page size, 1 to 100, or null for the server's default
   * @param cursor {@link TransactionPage#nextCursor()} of the previous page, or null for the first page
   * @return the page
   */
  public TransactionPage transactions(Integer limit, String cursor) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("limit", limit == null ? null : limit.toString());
    query.put("cursor", cursor);
    String encoded = Form.encode(query);
    return api.get(userKey, "/api/v1/wallet/transactions" + (encoded.isEmpty() ? "" : "?" + encoded),
        TransactionPage::parse);
  }

  /**
   * The wallet's whole history, newest first, across pages (scope {@code wallet:read}). Pages are
   * fetched as the stream reaches them, following {@link TransactionPage#nextCursor()}, so
   * {@code allTransactions(50).limit(10)} fetches one page; an API error surfaces from the stream
   * operation that needed the page.
   *
   * @param pageSize transactions per request, 1 to 100, or null for the server's default
   * @return a sequential stream of every transaction
   */
  public Stream<Transaction> allTransactions(Integer pageSize) {
    Iterator<Transaction> pages = new Iterator<>() {
      private Iterator<Transaction> current = Collections.emptyIterator();
      private String cursor;
      private boolean last;

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && !last) {
          TransactionPage page = transactions(pageSize, cursor);
          current = page.data().iterator();
          cursor = page.nextCursor();
          last = cursor == null || cursor.isEmpty();
        }
        return current.hasNext();
      }

      @Override
      public Transaction next() {
        if (!hasNext()) throw new NoSuchElementException();
        return current.next();
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  /** {@link #allTransactions(Integer)} with the server's default page size. */
  public Stream<Transaction> allTransactions() {
    return allTransactions(null);
  }

  /**
   * Sends money from the user's wallet (scope {@code wallet:send}) and returns the completed
   * transaction. Choose {@code idempotencyKey} once per send the user intends (a UUID) and keep it, with
   * the request, for retries: the same key and request never move money twice.
   *
   * <p>A send above the amount the user wants to confirm moves nothing and throws
   * {@link ConfirmationRequiredException}: send the user to its
   * {@link ConfirmationRequiredException#confirmationUrl() confirmation URL}, and when they come back
   * call this method again with the same {@code request} and {@code idempotencyKey}. Once the user
   * confirmed, that retry completes the send exactly once (the limit is checked again then); before
   * they answer it throws the same confirmation again; after they rejected it throws
   * {@link ConfirmationRejectedException}. A new key or a changed request is a new send, which needs
   * its own confirmation.
   *
   * @throws ConfirmationRequiredException the user must confirm this send in Monei first; nothing moved
   * @throws ConfirmationRejectedException the user rejected this send in Monei; nothing moved
   * @throws InsufficientFundsException the wallet holds too little; nothing moved
   * @throws SendLimitExceededException the send would pass the user's 24-hour limit for this app
   * @throws RecipientNotFoundException no wallet matches {@code to}
   * @throws IdempotencyConflictException the key was used before for a different send
   */
  public Transaction send(SendMoney request, String idempotencyKey) {
    Objects.requireNonNull(request, "request");
    if (idempotencyKey == null || idempotencyKey.isBlank())
      throw new IllegalArgumentException("An Idempotency-Key is required; use one UUID per intended send.");
    return api.postJson(userKey, "/api/v1/wallet/send", request.toJson(), idempotencyKey, Transaction::parse);
  }

  /**
   * The grant's send limit now: what is used and left of it, and the confirmation threshold (scope
   * {@code wallet:send}). Unlike {@link Grant#sendLimit()}, which is as of the latest token response,
   * this reflects a limit the user lowered at Monei since.
   */
  public SendLimits limits() {
    return api.get(userKey, "/api/v1/wallet/limits", SendLimits::parse);
  }

  @Override
  public String toString() {
    return "WalletApi[" + userKey + "]";
  }
}
