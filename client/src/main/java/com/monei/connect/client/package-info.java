/**
 * The Monei Connect Java SDK. Start at {@link com.monei.connect.client.MoneiConnect}: build one
 * instance, send users to {@link com.monei.connect.client.MoneiConnect#authorizationRequest}, finish
 * with {@link com.monei.connect.client.MoneiConnect#handleCallback} (a sealed
 * {@link com.monei.connect.client.CallbackResult}), check the {@link com.monei.connect.client.Grant},
 * then call {@link com.monei.connect.client.MoneiConnect#wallet} and
 * {@link com.monei.connect.client.MoneiConnect#profile}. Tokens live in a
 * {@link com.monei.connect.client.TokenStore} and are refreshed by the SDK; refusals are typed
 * {@link com.monei.connect.client.MoneiApiException}s.
 */
package com.monei.connect.client;
