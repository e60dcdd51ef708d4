/**
 * `$lib/scoring`: the survey statistics of DESIGN §6 (ETC Institute conventions) as pure
 * functions. The database implements the same definitions in SQL (`question_scores`); a parity
 * test compares the two, so every definition is exact. In one place, for the SQL author:
 *
 * - Fractions in [0, 1] everywhere (×100 only for display); nothing is rounded except for
 *   threshold comparisons, which use round(x, 9) (`comparable`).
 * - Valid answer of a satisfaction5 / rating5 item: integer 1..5. 9 = don't know (counted in
 *   n_dont_know, excluded). Anything else / absent = no answer (excluded, not counted).
 * - n_valid = head count of valid answers. Weight w > 0 (default 1).
 *   p_satisfied = Σw[v ≥ 4] / Σw; mean = Σw·v / Σw; n_eff = (Σw)²/Σw² (= n_valid when all
 *   weights are equal); margin = 1.96·√(p(1−p)/n_eff) (0 at p = 0 or 1);
 *   survey_margin = 1.96·√(0.25/n_eff). All null when n_valid = 0.
 * - importance = Σw[respondent named the item in the top 3] / Σw over ALL respondents in scope
 *   (wave, or wave × district), answered the top-3 question or not; 0 when nobody named it.
 * - is_rating = importance × (1 − p_satisfied); band on round(is, 9): ≥ 0.20 very_high,
 *   ≥ 0.10 high, else medium (lower bounds inclusive).
 * - Matrix: split at the unweighted means over items with a satisfaction; an item equal to a
 *   mean (after rounding) is on the upper side of that axis.
 * - Change: pooled two-proportion z on (p, n_eff) of each wave, z = (later − earlier)/SE;
 *   significant when |z| > 1.96; z = 0, p = 1 when the pooled p is 0 or 1; null if a wave is empty.
 * - Suppression on head counts: public < 30 withheld, < 100 flagged, exports < 5 never shown.
 * - Target status, inclusive: met if on or beyond the target; within_margin if value ± margin
 *   reaches it; else not_met.
 */
export * from './stats';
export * from './satisfaction';
export * from './importance';
export * from './significance';
export * from './suppression';
export * from './target-status';
export * from './score-questions';
