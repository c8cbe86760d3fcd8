-- Staff disable an organisation that no longer takes part: its users sign in no more and it
-- takes no new users; nothing of it is deleted, and enabling it again brings it all back.
ALTER TABLE organizations ADD COLUMN disabled_at timestamptz;
