package dev.monitoring.monitor.groups;

import dev.monitoring.model.grouping.ErrorFingerprint;
import dev.monitoring.monitor.api.BadParameterException;
import dev.monitoring.monitor.api.QueryParams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which groups a list or a bulk action is about: {@code state}, {@code q} (type, message, component, job or symbol;
 * the numbers, ids and quoted parts in it match a message pattern's placeholders),
 * {@code component}, {@code category} and {@code job}, each optional. Turned into a WHERE clause of bound parameters
 * with only the filters given, so that the planner sees each index it can use.
 */
record GroupFilter(String state, String q, String component, String category, String job) {
    static final Set<String> STATES = Set.of("unresolved", "resolved", "regressed", "ignored");
    /** The longest q: a search term, not a document. */
    static final int MAX_Q = 200;
    /** The text q= is matched against (the expression of the trigram index error_groups_search_idx). */
    private static final String SEARCHED = "(coalesce(g.error_type, '') || ' ' || g.message_pattern || ' ' || "
            + "coalesce(g.component, '') || ' ' || coalesce(g.operation, ''))";
    private static final Map<String, String> SORTS = Map.of(
            "count", "g.count DESC, g.last_seen DESC",
            "last_seen", "g.last_seen DESC",
            "first_seen", "g.first_seen DESC");

    static GroupFilter of(String state, String q, String component, String category, String job) {
        if (state != null && !state.isBlank() && !STATES.contains(state) && !"all".equals(state)) {
            throw new BadParameterException("state", "'state' must be one of unresolved, resolved, regressed, ignored, all");
        }
        if (q != null && q.length() > MAX_Q) {
            throw new BadParameterException("q", "'q' is at most " + MAX_Q + " characters");
        }
        category = QueryParams.category("category", category).map(c -> c.wireName()).orElse(null);
        return new GroupFilter(blankOrAll(state), blank(q), blank(component), category, blank(job));
    }

    static String orderBy(String sort) {
        if (sort == null || sort.isBlank()) {
            return SORTS.get("count");
        }
        String order = SORTS.get(sort);
        if (order == null) {
            throw new BadParameterException("sort", "'sort' must be one of count, last_seen, first_seen");
        }
        return order;
    }

    /** The WHERE clause (never empty) over {@code monitor.error_groups g}; its parameters are added to {@code params}. */
    String where(List<Object> params) {
        List<String> clauses = new ArrayList<>();
        clauses.add("g.merged_into IS NULL"); // a merged group is listed as the group it was merged into
        if (state != null) {
            params.add(state);
            clauses.add("g.state = $" + params.size());
        }
        if (component != null) {
            params.add(component);
            clauses.add("g.component = $" + params.size());
        }
        if (category != null) {
            params.add(category);
            clauses.add("g.category = $" + params.size());
        }
        if (job != null) {
            params.add(job);
            clauses.add("g.operation = $" + params.size());
        }
        if (q != null) {
            params.add("%" + likeEscaped(q) + "%");
            String text = SEARCHED + " ILIKE $" + params.size();
            String pattern = searchedPattern(q);
            if (pattern != null) {
                params.add("%" + likeEscaped(pattern) + "%");
                text += " OR " + SEARCHED + " ILIKE $" + params.size();
            }
            params.add(q);
            clauses.add("(" + text + " OR g.fingerprint IN "
                    + "(SELECT e.fingerprint FROM monitor.error_logs e WHERE e.symbol = $" + params.size() + "))");
        }
        return String.join(" AND ", clauses);
    }

    /**
     * q as a group's message pattern holds it ("HTTP 503 from 10.2.3.4" as "HTTP <n> from <n>"), since what people paste
     * from an error has the numbers and ids its group replaced; null when that changes nothing, or leaves fewer than
     * two letters beside the placeholders (a bare "503" would match every group with a number).
     */
    static String searchedPattern(String q) {
        String pattern = ErrorFingerprint.normalise(q);
        if (pattern.equals(q.strip())) {
            return null;
        }
        long letters = pattern.replaceAll("<(n|id|hex|str)>", "").chars().filter(Character::isLetter).count();
        return letters >= 2 ? pattern : null;
    }

    boolean isEmpty() {
        return state == null && q == null && component == null && category == null && job == null;
    }

    private static String likeEscaped(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String blankOrAll(String s) {
        return s == null || s.isBlank() || "all".equals(s) ? null : s;
    }
}
