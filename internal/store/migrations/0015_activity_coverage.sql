-- One activity per Zoom fact (issue 10): a meeting or webinar instance, or one
-- side of a call, is stored once per organization whatever the number of
-- connections that see it; activity_coverage records which connections have
-- seen it, so a disconnect removes exactly what no remaining connection covers.
-- activities.connection_id stays as the connection that holds the row (one of
-- its coverage); a purge moves it to another covering connection first.

CREATE TABLE activity_coverage (
    activity_id   BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    connection_id BIGINT NOT NULL REFERENCES zoom_connections(id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, connection_id)
);
CREATE INDEX activity_coverage_connection ON activity_coverage(connection_id, activity_id);

-- Every stored row is seen by its connection; a fact stored twice (once per
-- connection) keeps its oldest row, which is seen by all of them. The
-- temporary index keeps both statements from scanning the table per row.
CREATE INDEX activities_fact_scan ON activities(org_id, kind, zoom_id, zoom_user_id, id);
INSERT INTO activity_coverage (activity_id, connection_id)
    SELECT (SELECT MIN(k.id) FROM activities k WHERE k.org_id = a.org_id AND k.kind = a.kind AND k.zoom_id = a.zoom_id AND k.zoom_user_id = a.zoom_user_id),
        a.connection_id
    FROM activities a GROUP BY a.org_id, a.kind, a.zoom_id, a.zoom_user_id, a.connection_id;
DELETE FROM activities WHERE id <> (SELECT MIN(k.id) FROM activities k WHERE k.org_id = activities.org_id AND k.kind = activities.kind
    AND k.zoom_id = activities.zoom_id AND k.zoom_user_id = activities.zoom_user_id);
DROP INDEX activities_fact_scan;
CREATE UNIQUE INDEX activities_fact ON activities(org_id, kind, zoom_id, zoom_user_id);
