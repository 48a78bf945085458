package dev.monitoring.monitor.groups;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monitoring.model.api.ErrorGroup;
import dev.monitoring.model.api.ErrorGroupActivity;
import dev.monitoring.model.api.ErrorGroupDetail;
import dev.monitoring.model.api.ErrorGroupIndex;
import dev.monitoring.monitor.errors.GroupingRules;
import dev.monitoring.monitor.api.BadParameterException;
import dev.monitoring.monitor.api.JsonBody;
import dev.monitoring.monitor.api.QueryParams;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Error groups and the actions on them. The gateway lets only admins act and writes {@code actor} from the logged-in
 * user; the monitor trusts it as it trusts {@code created_by} of a silence.
 */
@Path("/api/errors/groups")
@Produces(MediaType.APPLICATION_JSON)
public class GroupResource {
    private final GroupStore store;
    private final GroupMerges merges;
    private final GroupingRules rules;

    public GroupResource(GroupStore store, GroupMerges merges, GroupingRules rules) {
        this.store = store;
        this.merges = merges;
        this.rules = rules;
    }

    @GET
    public List<ErrorGroup> list(@QueryParam("state") String state, @QueryParam("q") String q,
                                 @QueryParam("component") String component, @QueryParam("category") String category,
                                 @QueryParam("job") String job, @QueryParam("sort") String sort,
                                 @QueryParam("limit") String limit) {
        GroupFilter filter = GroupFilter.of(state, q, component, category, job);
        return store.list(filter, GroupFilter.orderBy(sort), QueryParams.limit(limit, 100));
    }

    /** Declared before /{fingerprint}: "index" is a route, not a fingerprint (fingerprints are hex). */
    @GET
    @Path("/index")
    public ErrorGroupIndex index() {
        return store.index(rules.rules());
    }

    @GET
    @Path("/{fingerprint}")
    public ErrorGroup one(@PathParam("fingerprint") String fingerprint) {
        return store.find(fingerprint).orElseThrow(() -> new NotFoundException("no error group " + fingerprint));
    }

    @GET
    @Path("/{fingerprint}/detail")
    public ErrorGroupDetail detail(@PathParam("fingerprint") String fingerprint, @QueryParam("hours") String hours,
                                   @QueryParam("latest") String latest) {
        return store.detail(fingerprint, QueryParams.intInRange("hours", hours, 24, 1, 24 * 30),
                QueryParams.intInRange("latest", latest, 10, 1, 100))
                .orElseThrow(() -> new NotFoundException("no error group " + fingerprint));
    }

    @GET
    @Path("/{fingerprint}/activity")
    public List<ErrorGroupActivity> activity(@PathParam("fingerprint") String fingerprint, @QueryParam("limit") String limit) {
        return store.activity(fingerprint, QueryParams.limit(limit, 100));
    }

    @POST
    @Path("/{fingerprint}/{action}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ErrorGroup act(@PathParam("fingerprint") String fingerprint, @PathParam("action") String action, String body) {
        JsonNode json = parse(body);
        if (json != null && !json.isObject()) {
            throw new BadParameterException("body", "the body must be a JSON object");
        }
        String actor = json == null || !json.hasNonNull("actor") ? "anonymous" : json.get("actor").asText();
        String comment = json == null || !json.hasNonNull("comment") ? null : json.get("comment").asText();
        switch (action) {
            case "merge":
                return merges.merge(fingerprint, json == null || !json.hasNonNull("into") ? null : json.get("into").asText(), actor, comment);
            case "unmerge":
                return merges.unmerge(fingerprint, actor, comment);
            default:
                break;
        }
        GroupAction parsed = GroupAction.parse(action, json);
        ErrorGroup group = store.find(fingerprint).orElseThrow(() -> new NotFoundException("no error group " + fingerprint));
        if (group.mergedInto() != null) {
            throw new BadParameterException("fingerprint", "error group " + fingerprint + " was merged into " + group.mergedInto()
                    + ": act on that one, or unmerge it first");
        }
        return store.act(fingerprint, parsed).orElseThrow(() -> new NotFoundException("no error group " + fingerprint));
    }

    /**
     * One action on every group a filter selects: {@code {"action":"resolve","filter":{"state":"unresolved","q":...},
     * "comment":...}}. An empty filter is refused, so that one request cannot act on every group by mistake.
     */
    @POST
    @Path("/bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> bulk(String body) {
        JsonNode b = parse(body);
        if (b == null || !b.isObject()) {
            throw new BadParameterException("body", "the body must be a JSON object with 'action' and 'filter'");
        }
        JsonNode f = b.path("filter");
        if (!f.isObject()) {
            throw new BadParameterException("filter", "'filter' must be an object of state, q, component, category, job");
        }
        GroupFilter filter = GroupFilter.of(text(f, "state"), text(f, "q"), text(f, "component"), text(f, "category"), text(f, "job"));
        if (filter.isEmpty()) {
            throw new BadParameterException("filter", "'filter' must name at least one of state, q, component, category, job");
        }
        GroupAction action = GroupAction.parse(b.path("action").asText(""), b);
        List<ErrorGroup> changed = store.bulk(filter, action);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("action", action.action());
        answer.put("changed", changed.size());
        answer.put("limit", GroupStore.MAX_BULK);
        answer.put("fingerprints", changed.stream().map(ErrorGroup::fingerprint).toList());
        return answer;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        return JsonBody.parse(body);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
