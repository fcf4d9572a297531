// A need's ranked matches: numbered on the map, listed with their score and why.
import { SendOutlined, StarFilled, StarOutlined } from "@ant-design/icons";
import { Alert, Button, Col, Empty, Progress, Row, Space, Table, Tooltip, Typography } from "antd";
import type { FeatureCollection, Polygon } from "geojson";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ProblemAlert } from "../../shared/problems";
import { formatDistance, useCapacityText, useOrganisationNames } from "../assets/labels";
import { anchorOf, circlePolygon, corridorFeature, isPosition, toCollections, type Position } from "../map/geometry";
import { MapView, type MapMarker } from "../map/MapView";
import type { LineCollection, PointProperties } from "../map/style";
import { useMatches, type Match, type NeedRead } from "./api";
import { explainFactor, percent, reachOf } from "./explain";
import { useShortlist } from "./shortlist";

/** The need's own area: its circle, or its route with the corridor. */
export function needArea(need: Pick<NeedRead, "id" | "geometry" | "radius_m" | "corridor_m">): {
  areas?: FeatureCollection<Polygon, PointProperties>;
  corridors?: LineCollection;
  route?: LineCollection;
} {
  const geometry = need.geometry as { type?: unknown; coordinates?: unknown };
  if (geometry.type === "Point" && isPosition(geometry.coordinates)) {
    return {
      areas: { type: "FeatureCollection", features: [circlePolygon(need.id, geometry.coordinates, reachOf(need))] },
    };
  }
  if (geometry.type === "LineString" && Array.isArray(geometry.coordinates)) {
    const coordinates = geometry.coordinates.filter(isPosition) as Position[];
    const route: LineCollection = {
      type: "FeatureCollection",
      features: [{ type: "Feature", geometry: { type: "LineString", coordinates }, properties: { id: need.id, name: need.id } }],
    };
    return { corridors: { type: "FeatureCollection", features: [corridorFeature(need.id, coordinates, reachOf(need))] }, route };
  }
  return {};
}

function FactorList({ match, need }: { match: Match; need: NeedRead }) {
  const { t } = useTranslation();
  return (
    <div style={{ display: "grid", gap: 6, maxWidth: 640 }} data-testid="score-explanation">
      {match.factors.map((factor) => (
        <div key={factor.factor} style={{ display: "grid", gridTemplateColumns: "88px 120px 1fr", gap: 8, alignItems: "center" }}>
          <Typography.Text strong>{t(`needs.matches.factors.${factor.factor}`)}</Typography.Text>
          <Progress
            percent={percent(factor.score)}
            size="small"
            aria-label={t("needs.matches.factorScore", { factor: t(`needs.matches.factors.${factor.factor}`), score: percent(factor.score) })}
          />
          <Typography.Text>
            {explainFactor(t, factor, match, need)}{" "}
            <Typography.Text type="secondary">{t("needs.matches.weight", { weight: percent(factor.weight) })}</Typography.Text>
          </Typography.Text>
        </div>
      ))}
    </div>
  );
}

export function MatchesPanel({ need, onRequest }: { need: NeedRead; onRequest: (match: Match) => void }) {
  const { t } = useTranslation();
  const matches = useMatches(need.id, true);
  const ownerName = useOrganisationNames();
  const capacityText = useCapacityText();
  const shortlist = useShortlist(need.id);
  const [selected, setSelected] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);
  const list = useMemo(() => matches.data?.matches ?? [], [matches.data]);
  const area = useMemo(() => needArea(need), [need]);
  const assets = useMemo(
    () => toCollections(list.map(({ asset }) => ({ geometry: asset.geometry, properties: { id: asset.id, name: asset.name } }))),
    [list],
  );
  const markers = useMemo<MapMarker[]>(
    () =>
      list.flatMap((match, index) => {
        const anchor = anchorOf(match.asset.geometry);
        return anchor
          ? [{ id: match.asset.id, lon: anchor[0], lat: anchor[1], text: String(index + 1), label: t("needs.matches.markerLabel", { rank: index + 1, name: match.asset.name }) }]
          : [];
      }),
    [list, t],
  );
  const lines = useMemo<LineCollection>(
    () => ({ type: "FeatureCollection", features: [...assets.lines.features, ...(area.route?.features ?? [])] }),
    [assets.lines, area.route],
  );

  const choose = (id: string) => {
    setSelected(id);
    setExpanded((current) => (current.includes(id) ? current : [...current, id]));
    document.querySelector(`#need-matches [data-row-key="${id}"]`)?.scrollIntoView({ block: "nearest" });
  };

  if (matches.isError) return <ProblemAlert error={matches.error} />;
  return (
    <>
      {matches.data?.degraded ? <Alert type="warning" showIcon message={t("needs.matches.degraded")} style={{ marginBottom: 12 }} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <MapView
            areas={area.areas}
            corridors={area.corridors}
            lines={lines}
            markers={markers}
            selectedId={selected}
            label={t("needs.matches.mapLabel", { title: need.title })}
            height={460}
            onSelect={(properties) => choose(properties.id)}
          />
        </Col>
        <Col xs={24} xl={15}>
          <Table<Match>
            id="need-matches"
            rowKey={(match) => match.asset.id}
            size="small"
            loading={matches.isPending}
            dataSource={list}
            pagination={false}
            scroll={{ x: 680 }}
            onRow={(match) => ({
              onClick: () => setSelected(match.asset.id),
              style: match.asset.id === selected ? { background: "#e6f4ff" } : undefined,
            })}
            expandable={{
              expandedRowKeys: expanded,
              onExpandedRowsChange: (keys) => setExpanded(keys as string[]),
              expandedRowRender: (match) => <FactorList match={match} need={need} />,
            }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("needs.matches.none")} /> }}
            columns={[
              { title: "#", key: "rank", width: 40, render: (_, __, index) => index + 1 },
              {
                title: t("assets.name"),
                key: "name",
                width: 220,
                render: (_, { asset }) => (
                  <Space direction="vertical" size={0}>
                    <Link to={`/assets/${asset.id}`}>{asset.name}</Link>
                    <Typography.Text type="secondary">
                      {t(`assets.kinds.${asset.kind}`)} · {ownerName(asset.owner_organisation_id)}
                    </Typography.Text>
                  </Space>
                ),
              },
              { title: t("assets.distance"), key: "distance", width: 80, render: (_, match) => formatDistance(match.distance_m) },
              { title: t("assets.freeCapacity"), key: "free", width: 110, render: (_, { asset }) => capacityText(asset.capacity) },
              {
                title: t("needs.matches.score"),
                key: "score",
                width: 110,
                render: (_, match) => (
                  <Progress percent={percent(match.score)} size="small" aria-label={t("needs.matches.scoreLabel", { score: percent(match.score) })} />
                ),
              },
              {
                title: t("common.actions"),
                key: "actions",
                width: 92,
                render: (_, match) => {
                  const listed = shortlist.has(match.asset.id);
                  return (
                    <Space size={4} onClick={(event) => event.stopPropagation()}>
                      <Tooltip title={listed ? t("needs.shortlist.remove") : t("needs.shortlist.add")}>
                        <Button
                          size="small"
                          aria-pressed={listed}
                          aria-label={t(listed ? "needs.shortlist.removeNamed" : "needs.shortlist.addNamed", { name: match.asset.name })}
                          icon={listed ? <StarFilled style={{ color: "#d48806" }} /> : <StarOutlined />}
                          onClick={() =>
                            shortlist.toggle({ assetId: match.asset.id, name: match.asset.name, kind: match.asset.kind, score: match.score })
                          }
                        />
                      </Tooltip>
                      <Tooltip title={t("needs.request.action")}>
                        <Button
                          size="small"
                          type="primary"
                          icon={<SendOutlined />}
                          aria-label={t("needs.request.actionNamed", { name: match.asset.name })}
                          onClick={() => onRequest(match)}
                        />
                      </Tooltip>
                    </Space>
                  );
                },
              },
            ]}
          />
        </Col>
      </Row>
    </>
  );
}
