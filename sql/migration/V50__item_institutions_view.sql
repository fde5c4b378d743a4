-- The institution of each item, for sync's operator reads (an execution's items, the retry list): items owns
-- plaid_items, and this view is the one part of it those reads need.
CREATE VIEW item_institutions AS
    SELECT item_id, institution_id, institution_name FROM plaid_items;
