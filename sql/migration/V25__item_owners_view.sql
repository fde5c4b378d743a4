-- Table ownership (issue 17): items owns plaid_items. Webhook intake stores every verified event with its item's owner
-- in one INSERT ... SELECT on its own small connection pool, whose short timeout bounds the wait when the database is
-- down (503 within about 2 s); a second round trip through items' query type (ItemOwners, on the main pool) would
-- lengthen that path and lose the bound. Intake reaches the owner only through this view, which items exports for it:
-- each item id and its owner, nothing else (no token, no status). A simple view over one table is inlined by the
-- planner, so the intake's LEFT JOIN keeps the plan of the join on plaid_items (the unique index on item_id).
-- No grant to plaidsync_user_scope: user-facing reads never need it.
CREATE VIEW item_owners AS
    SELECT item_id, user_id FROM plaid_items;
