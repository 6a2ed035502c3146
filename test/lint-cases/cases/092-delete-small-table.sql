-- case: DELETE all rows of a five-row lookup table
-- fixture: countries
-- UP
DELETE FROM countries WHERE code <> 'de';
