-- A short number for people. A contract's id is 36 characters: nobody reads that over a
-- phone or writes it on a receipt. Contracts are numbered in the order they were made
-- (existing ones in the order PostgreSQL holds them), and a payment's receipt is named by its
-- contract's number and its place among that contract's payments: R-000123-04.
ALTER TABLE contracts ADD COLUMN number bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE contracts ADD CONSTRAINT contracts_number_key UNIQUE (number);
