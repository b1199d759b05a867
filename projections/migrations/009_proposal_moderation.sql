-- Why a proposal is hidden, for the commune's moderators: by whom ('flags' when the citizens' flags
-- hid it pending review), the reason and when; NULL once restored (the history stays in its stream).
ALTER TABLE proposals ADD COLUMN hidden json;
