-- What Plaid sends that was dropped: a transaction's time of day (orders a day's trades), a security's option contract,
-- fixed-income terms, classification, proxy and institution ids and when its close price was taken, and when a
-- holding's institution price was taken. All nullable: Plaid sends each for some institutions and securities only.
ALTER TABLE investment_transactions ADD COLUMN transaction_datetime timestamptz;

ALTER TABLE securities
    ADD COLUMN option_contract_type       text,
    ADD COLUMN option_expiration_date     date,
    ADD COLUMN option_strike_price        numeric,
    ADD COLUMN option_underlying_ticker   text,
    -- Plaid's fixed_income object as sent (yield_rate, maturity_date, issue_date, face_value)
    ADD COLUMN fixed_income               jsonb,
    ADD COLUMN sector                     text,
    ADD COLUMN industry                   text,
    ADD COLUMN proxy_security_id          text,
    ADD COLUMN institution_security_id    text,
    ADD COLUMN update_datetime            timestamptz;

ALTER TABLE holdings ADD COLUMN institution_price_datetime timestamptz;
