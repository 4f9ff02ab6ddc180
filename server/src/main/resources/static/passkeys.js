// Passkeys (SPEC 7): "Sign in with a passkey" on the login page, "Add a passkey" on
// /account/security, and confirming or rejecting a send with one on /confirm/{id} (SPEC 1.6). The
// buttons stay hidden unless this browser has WebAuthn, so without JavaScript the pages offer only
// what works without it. The server sends and expects binary
// fields as base64url; the CSRF token travels in the JSON body.
(function () {
  'use strict';
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  var signin = document.getElementById('passkey-signin');
  if (signin) enableSignIn(signin);
  var add = document.getElementById('passkey-add');
  if (add) enableAdd(add);
  var answer = document.getElementById('passkey-answer');
  if (answer) enableAnswer(answer);

  function enableSignIn(button) {
    var form = document.querySelector('form[action="/login"]');
    if (!form) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var csrf = form.querySelector('input[name="csrf_token"]').value;
      var returnTo = form.querySelector('input[name="return_to"]').value;
      button.disabled = true;
      showError('');
      post('/login/passkey/options', { csrf_token: csrf }).then(function (options) {
        return navigator.credentials.get({ publicKey: {
          challenge: fromBase64url(options.challenge),
          rpId: options.rpId,
          timeout: options.timeout,
          allowCredentials: [],
          userVerification: options.userVerification
        } });
      }).then(function (credential) {
        return post('/login/passkey', { csrf_token: csrf, return_to: returnTo, credential: assertion(credential) });
      }).then(function (result) {
        window.location.assign(result.redirect);
      }, function (error) {
        button.disabled = false;
        showError(message(error, 'Signing in with a passkey did not work. Try again, or use your password.'));
      });
    });
  }

  function enableAdd(button) {
    var box = document.getElementById('passkey-new');
    if (!box) return;
    box.hidden = false;
    button.addEventListener('click', function () {
      var csrf = box.getAttribute('data-csrf-token');
      var name = document.getElementById('passkey-new-name').value;
      button.disabled = true;
      showError('');
      post('/account/security/passkeys/options', { csrf_token: csrf }).then(function (options) {
        return navigator.credentials.create({ publicKey: {
          rp: options.rp,
          user: { id: fromBase64url(options.user.id), name: options.user.name,
            displayName: options.user.displayName },
          challenge: fromBase64url(options.challenge),
          pubKeyCredParams: options.pubKeyCredParams,
          timeout: options.timeout,
          excludeCredentials: options.excludeCredentials.map(function (c) {
            return { type: c.type, id: fromBase64url(c.id) };
          }),
          authenticatorSelection: options.authenticatorSelection,
          attestation: options.attestation
        } });
      }).then(function (credential) {
        var response = credential.response;
        return post('/account/security/passkeys', { csrf_token: csrf, name: name, credential: {
          id: credential.id,
          rawId: toBase64url(credential.rawId),
          type: credential.type,
          response: {
            clientDataJSON: toBase64url(response.clientDataJSON),
            attestationObject: toBase64url(response.attestationObject),
            transports: response.getTransports ? response.getTransports() : []
          }
        } });
      }).then(function (result) {
        window.location.assign(result.redirect);
      }, function (error) {
        button.disabled = false;
        showError(message(error, 'The passkey was not added. Please try again.'));
      });
    });
  }

  // The send confirmation's form stays the way without a passkey; these buttons answer it with one,
  // among the user's own credentials only (the server names them), with the form's CSRF token.
  function enableAnswer(box) {
    var form = document.querySelector('form[action^="/confirm/"]');
    var confirm = document.getElementById('passkey-confirm');
    var reject = document.getElementById('passkey-reject');
    if (!form || !confirm || !reject) return;
    var path = form.getAttribute('action');
    box.hidden = false;
    [confirm, reject].forEach(function (button) {
      button.addEventListener('click', function () {
        var csrf = form.querySelector('input[name="csrf_token"]').value;
        var decision = button === confirm ? 'confirm' : 'reject';
        confirm.disabled = reject.disabled = true;
        showError('');
        post(path + '/passkey/options', { csrf_token: csrf }).then(function (options) {
          return navigator.credentials.get({ publicKey: {
            challenge: fromBase64url(options.challenge),
            rpId: options.rpId,
            timeout: options.timeout,
            allowCredentials: options.allowCredentials.map(function (c) {
              return { type: c.type, id: fromBase64url(c.id) };
            }),
            userVerification: options.userVerification
          } });
        }).then(function (credential) {
          return post(path + '/passkey', { csrf_token: csrf, decision: decision, credential: assertion(credential) });
        }).then(function (result) {
          window.location.assign(result.redirect);
        }, function (error) {
          confirm.disabled = reject.disabled = false;
          showError(message(error, 'The passkey did not work. Nothing was decided; try again, or use the form.'));
        });
      });
    });
  }

  function assertion(credential) {
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      response: {
        clientDataJSON: toBase64url(credential.response.clientDataJSON),
        authenticatorData: toBase64url(credential.response.authenticatorData),
        signature: toBase64url(credential.response.signature),
        userHandle: credential.response.userHandle ? toBase64url(credential.response.userHandle) : null
      }
    };
  }

  function post(path, body) {
    return fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) throw new Error(json.message || '');
        return json;
      });
    });
  }

  function message(error, fallback) {
    // The browser's own errors (cancelled, timed out) name no reason worth showing.
    return error && error.name === 'Error' && error.message ? error.message : fallback;
  }

  function showError(text) {
    var box = document.getElementById('passkey-error');
    if (!box) return;
    box.textContent = text;
    box.hidden = !text;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = '';
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function fromBase64url(value) {
    var base64 = value.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) base64 += '=';
    var text = atob(base64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes.buffer;
  }
})();
