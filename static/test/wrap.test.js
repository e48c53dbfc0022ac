import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { wrapFeatures, wrapPlaces } from '../map/wrap.js';

// The Aleutians' far end (east of 180) and Alaska, as us-atlas cuts them at the line.
const aleutians = () => ({
  type: 'FeatureCollection',
  features: [
    {
      id: '02016',
      properties: { name: 'Aleutians West', label: [178, 52] },
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [[[172, 52], [180, 52], [180, 53], [172, 53], [172, 52]]],
          [[[-180, 52], [-170, 52], [-170, 53], [-180, 53], [-180, 52]]],
        ],
      },
    },
    { id: '02185', properties: { name: 'North Slope' }, geometry: { type: 'Polygon', coordinates: [[[-165, 68], [-141, 68], [-141, 71], [-165, 68]]] } },
  ],
});

describe('wrapFeatures', () => {
  test('moves the far side of the line beside the rest, label point included', () => {
    const g = wrapFeatures(aleutians(), -129);
    assert.deepEqual(g.features[0].geometry.coordinates[0][0], [[-188, 52], [-180, 52], [-180, 53], [-188, 53], [-188, 52]]);
    assert.deepEqual(g.features[0].geometry.coordinates[1][0][0], [-180, 52]);
    assert.deepEqual(g.features[0].properties.label, [-182, 52]);
    assert.deepEqual(g.features[1].geometry.coordinates[0][1], [-141, 68]);
  });

  test('a map that does not cross (no centre) is left as it is', () => {
    assert.deepEqual(wrapFeatures(aleutians(), undefined), aleutians());
  });

  test('moving twice moves once', () => {
    assert.deepEqual(wrapFeatures(wrapFeatures(aleutians(), -129), -129), wrapFeatures(aleutians(), -129));
  });

  test('the land around drops what runs across the cut, opposite the map', () => {
    const land = {
      type: 'FeatureCollection',
      features: [
        // Russia's bulk, across 51°E, opposite a map centred at -129°: torn by the move.
        { properties: {}, geometry: { type: 'Polygon', coordinates: [[[30, 50], [170, 50], [170, 70], [30, 70], [30, 50]]] } },
        { properties: { part: 'lines' }, geometry: { type: 'LineString', coordinates: [[30, 50], [70, 50]] } },
        // Canada, beside the map: kept.
        { properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[[[-140, 50], [-60, 50], [-60, 70], [-140, 50]]]] } },
      ],
    };
    const g = wrapFeatures(land, -129, { dropTorn: true });
    assert.deepEqual(g.features[0].geometry.coordinates, []);
    assert.deepEqual(g.features[1].geometry.coordinates, []);
    assert.equal(g.features[2].geometry.coordinates[0][0].length, 4);
  });
});

describe('wrapPlaces', () => {
  test("moves the page data's places about its wrapCentre", () => {
    const data = wrapPlaces({ wrapCentre: -129, places: [{ id: 'adak', lon: 176.6, lat: 51.9 }, { id: 'anc', lon: -149.9, lat: 61.2 }] });
    assert.deepEqual(data.places.map((p) => p.lon), [-183.4, -149.9]);
  });

  test('no wrapCentre: the places stay', () => {
    assert.equal(wrapPlaces({ places: [{ id: 'x', lon: 176.6, lat: 0 }] }).places[0].lon, 176.6);
  });
});
