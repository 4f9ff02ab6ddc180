package com.monei.connect.server.web;

import com.monei.connect.server.http.HttpError;
import io.javalin.http.Context;

/** The one renderer of error pages: every HTML error a browser sees is error.jte through here. */
public final class ErrorPages {
  static final String SOMETHING_WENT_WRONG = "Something went wrong";
  static final String FORM_EXPIRED = "This form has expired. Reload the page and try again.";

  private final Pages pages;

  public ErrorPages(Pages pages) {
    this.pages = pages;
  }

  public void show(Context ctx, int status, String title, String message) {
    pages.render(ctx, status, "error.jte", new Views.Error(title, message));
  }

  /** The generic error page as text, for answers written outside Javalin (Jetty's own errors). */
  String html(String message) {
    return pages.html("error.jte", new Views.Error(SOMETHING_WENT_WRONG, message));
  }

  /** A page with the generic title. */
  public void show(Context ctx, int status, String message) {
    show(ctx, status, SOMETHING_WENT_WRONG, message);
  }

  /** The page of an error the server answers itself (not found, a fault): its status and public text. */
  public void show(Context ctx, HttpError error) {
    show(ctx, error.status(), error.description());
  }

  /** A form whose session or CSRF token no longer matches. */
  public void formExpired(Context ctx) {
    show(ctx, 403, FORM_EXPIRED);
  }

  /**
   * An authorization request whose app or redirect URI cannot be trusted with a redirect: the
   * user's browser holds a link that does not work, which is a client error unless the server failed.
   */
  public void unusableLink(Context ctx, HttpError error) {
    show(ctx, error.status() >= 500 ? error.status() : 400, "This link cannot be used", error.description());
  }
}
