-- How each fraud rule does against the planted, labelled fraud of `spotctl seed generate`
-- (spotctl_seed_truth) once `spotctl fraud scan` has run over all of the data: one row per rule
-- with the labelled fraud subjects and how many were flagged, every subject flagged, and the
-- near misses and look-alikes flagged. bench/fraud_eval.sh reports it; the integration test
-- "the precision and recall claim ..." holds every rule to the documented target with it.
WITH truth AS (SELECT DISTINCT rule, subject_type, subject_id, label FROM spotctl_seed_truth),
flag AS (SELECT DISTINCT rule, subject_type, subject_id FROM fraud_alerts)
SELECT r.rule,
       (SELECT count(*) FROM truth t WHERE t.rule = r.rule AND t.label = 'fraud') AS fraud,
       (SELECT count(*) FROM truth t JOIN flag f USING (rule, subject_type, subject_id) WHERE t.rule = r.rule AND t.label = 'fraud') AS caught,
       (SELECT count(*) FROM flag f WHERE f.rule = r.rule) AS flagged,
       (SELECT count(*) FROM truth t JOIN flag f USING (rule, subject_type, subject_id) WHERE t.rule = r.rule AND t.label = 'near_miss') AS near_flagged,
       (SELECT count(*) FROM truth t WHERE t.rule = r.rule AND t.label = 'near_miss') AS near,
       (SELECT count(*) FROM truth t JOIN flag f USING (rule, subject_type, subject_id) WHERE t.rule = r.rule AND t.label = 'lookalike') AS look_flagged,
       (SELECT count(*) FROM truth t WHERE t.rule = r.rule AND t.label = 'lookalike') AS look
  FROM (SELECT DISTINCT rule FROM spotctl_seed_truth) r
