package io.tickerplant.server;

import io.javalin.http.Context;
import io.tickerplant.server.query.NamedQueries;
import io.tickerplant.server.query.NamedQuery;
import io.tickerplant.server.query.QueryCatalog;
import io.tickerplant.server.query.QueryParameter;
import io.tickerplant.server.query.QueryRunner;
import io.tickerplant.store.ConnectionFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/queries} (what there is) and {@code GET /api/queries/{name}} (one page of a query's rows). Request
 * parameters are checked against the query's declaration before anything reaches the database: an unknown, missing,
 * repeated or mistyped one is a 400 naming it.
 */
final class NamedQueryEndpoints {

    /** The response's page size when the request gives no {@code limit}, at most {@code queries.max.rows}. */
    static final int DEFAULT_LIMIT = 100;

    private final NamedQueries queries;
    private final QueryRunner runner;

    NamedQueryEndpoints(ConnectionFactory db, NamedQueries queries) {
        this.queries = queries;
        this.runner = new QueryRunner(db, queries);
    }

    NamedQueries queries() {
        return queries;
    }

    /** {@code GET /api/queries}. */
    void list(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (NamedQuery q : queries.catalog().all()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", q.name());
            entry.put("description", q.description().strip());
            entry.put("path", "/api/queries/" + q.name());
            List<Map<String, Object>> parameters = new ArrayList<>();
            for (QueryParameter p : q.parameters()) {
                Map<String, Object> param = new LinkedHashMap<>();
                param.put("name", p.name());
                param.put("type", p.type().id());
                param.put("required", !p.optional());
                if (p.optional()) {
                    param.put("default", p.type().shown(p.defaultValue()));
                }
                param.put("description", p.description().strip());
                parameters.add(param);
            }
            entry.put("parameters", parameters);
            out.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("queries", out);
        body.put("maxRows", queries.maxRows());
        body.put("statementTimeout", queries.statementTimeoutText());
        ctx.json(body);
    }

    /** {@code GET /api/queries/{name}?param=...&limit=&cursor=}. */
    void run(Context ctx) {
        String name = ctx.pathParam("name");
        NamedQuery query = queries.catalog().get(name).orElse(null);
        if (query == null) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "no named query '" + name + "'; GET /api/queries lists them");
            body.put("queries", queries.catalog().names());
            ctx.status(404).json(body);
            return;
        }
        Map<String, Object> values = values(ctx, query);
        int limit = limit(ctx.queryParam("limit"));
        String fingerprint = fingerprint(query, values);
        String cursor = ctx.queryParam("cursor");
        long offset = cursor == null || cursor.isBlank() ? 0 : Cursors.queryOffset(cursor, fingerprint);

        QueryRunner.Page page = runner.run(query, values, offset, limit);

        Map<String, Object> shown = new LinkedHashMap<>();
        for (QueryParameter p : query.parameters()) {
            shown.put(p.name(), p.type().shown(values.get(p.name())));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query.name());
        body.put("parameters", shown);
        body.put("columns", page.columns());
        body.put("rows", page.rows());
        body.put("next", page.more() && offset + limit <= Cursors.MAX_OFFSET
                ? Cursors.query(offset + limit, fingerprint) : null);
        ctx.json(body);
    }

    /** The typed value of every declared parameter: from the request, else its default. */
    private static Map<String, Object> values(Context ctx, NamedQuery query) {
        for (Map.Entry<String, List<String>> given : ctx.queryParamMap().entrySet()) {
            String p = given.getKey();
            if (query.parameter(p).isEmpty() && !QueryCatalog.RESERVED_PARAMETERS.contains(p)) {
                throw new BadParameterException(p, "unknown parameter of query '" + query.name() + "', which takes "
                        + accepted(query));
            }
            if (given.getValue().size() > 1) {
                throw new BadParameterException(p, "given " + given.getValue().size() + " times; give it once");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (QueryParameter p : query.parameters()) {
            String raw = ctx.queryParam(p.name());
            if (raw == null || raw.isEmpty()) {
                if (!p.optional()) {
                    throw new BadParameterException(p.name(), "required by query '" + query.name() + "': "
                            + p.type().expected() + (p.description().isBlank() ? "" : " (" + p.description().strip()
                            + ")"));
                }
                values.put(p.name(), p.defaultValue());
                continue;
            }
            try {
                values.put(p.name(), p.type().value(raw));
            } catch (IllegalArgumentException e) {
                throw new BadParameterException(p.name(), e.getMessage());
            }
        }
        return values;
    }

    private static String accepted(NamedQuery query) {
        List<String> names = new ArrayList<>(query.parameters().stream().map(QueryParameter::name).toList());
        names.add("limit");
        names.add("cursor");
        return String.join(", ", names);
    }

    private int limit(String raw) {
        if (raw == null || raw.isBlank()) {
            return Math.min(DEFAULT_LIMIT, queries.maxRows());
        }
        try {
            int n = Integer.parseInt(raw.trim());
            if (n >= 1 && n <= queries.maxRows()) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadParameterException("limit", "'" + raw + "' is not a whole number from 1 to "
                + queries.maxRows() + " (the row cap of named queries)");
    }

    /** What the rows of a page depend on: the query as written and every parameter's value. */
    private static String fingerprint(NamedQuery query, Map<String, Object> values) {
        List<String> parts = new ArrayList<>();
        parts.add(query.name());
        parts.add(query.sql());
        values.forEach((k, v) -> parts.add(k + "=" + (v == null ? "\u0000null" : v.toString())));
        return Cursors.fingerprint(parts.toArray(String[]::new));
    }
}
