// What the map shows: the event in force for each region at the date on screen, and the
// number of regions each faction holds then. No DOM: the page's controller asks it to move
// to a day and paints the regions it says changed.

/**
 * The regions shown at one day of timeline (static/model/timeline.js). counted are the ids of
 * the page data's regions, the ones the legend's counts and the summary are about; regions
 * with a shape but no entry there are tracked (painted) but not counted.
 */
export class Shown {
  constructor(timeline, counted) {
    this.timeline = timeline;
    this.countedIds = new Set(counted);
    this.trackedIds = [...this.countedIds];
    this.trackedSet = new Set(this.trackedIds);
    this.events = new Map(); // region id -> index of the event in force (-1: initial)
    this.counts = new Map(); // faction -> number of counted regions
    this.day = null;
  }

  /** Follow more regions too (those with a shape the page data does not list), at the day shown. */
  track(ids) {
    for (const id of ids) {
      if (this.trackedSet.has(id)) continue;
      this.trackedIds.push(id);
      this.trackedSet.add(id);
      if (this.day !== null) this.events.set(id, this.timeline.holding(id, this.day));
    }
  }

  has(id) {
    return this.events.has(id);
  }

  /** The event in force for region id on the day shown, looked up when it is not followed yet. */
  eventOf(id) {
    if (this.events.has(id)) return this.events.get(id);
    return this.day === null ? -1 : this.timeline.holding(id, this.day);
  }

  /**
   * Move to day; returns the ids of the regions whose event changed. A step of a few days
   * looks only at the regions with an event in between (the timeline's forEachChange, which
   * gives each its event on day without a search); force (or a first move) looks at all.
   */
  moveTo(day, { force = false } = {}) {
    const previous = this.day;
    this.day = day;
    const { timeline } = this;
    const changed = [];
    const update = (id, ev) => {
      const had = this.events.get(id);
      if (had === ev) return;
      const before = had === undefined ? null : timeline.factionOf(had);
      this.events.set(id, ev);
      const after = timeline.factionOf(ev);
      if (before !== after && this.countedIds.has(id)) {
        if (before !== null) this.counts.set(before, (this.counts.get(before) ?? 0) - 1);
        this.counts.set(after, (this.counts.get(after) ?? 0) + 1);
      }
      changed.push(id);
    };
    if (!force && previous !== null && timeline.eventsBetween(previous, day) < this.trackedIds.length) {
      timeline.forEachChange(previous, day, (id, ev) => {
        if (this.trackedSet.has(id)) update(id, ev);
      });
    } else {
      for (const id of this.trackedIds) update(id, timeline.holding(id, day));
    }
    return changed;
  }
}
