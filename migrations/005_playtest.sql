-- The latest headless play-test of each job (lib/playtest/): its score for
-- sorting and filtering, and a small summary the API shows. The full result
-- and the screenshot are artifacts (playtest.json, playtest.png).
alter table gamepocgen.jobs
  add column playtest_score smallint check (playtest_score between 0 and 100),
  add column playtest jsonb;
