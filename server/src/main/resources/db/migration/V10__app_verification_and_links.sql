-- Whether an operator verified the app (`apps verify`): until then the consent screen says Monei
-- has not. The app's website and privacy policy, https only, shown on the consent screen.
ALTER TABLE apps ADD COLUMN verified BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE apps ADD COLUMN website_url TEXT;
ALTER TABLE apps ADD COLUMN privacy_url TEXT;
