// The current filters as chips: AND-ed groups, OR-ed conditions inside a group, each removable; buttons
// open the filter builder for a new AND group or to OR into a group.
import { describeCondition, removeCondition } from "../../src/filters/builder";
import { viewParams, type UsersView } from "../../src/filters/view";
import { usersListUrl, usersUrl } from "../../src/urls";

export const builderUrl = (envId: string, view: UsersView, group: number | "new") => {
  const p = viewParams(view);
  p.set("bg", String(group));
  return usersListUrl(envId, "builder", p);
};

export function FilterBar(props: { envId: string; view: UsersView; segmentName?: string }) {
  const { envId, view } = props;
  return (
    <div class="filter-bar" role="region" aria-label="Filters">
      {props.segmentName ? <span class="segment-tag" title="Saved segment">Segment: <strong>{props.segmentName}</strong></span> : null}
      {view.groups.map((group, gi) => (
        <>
          {gi > 0 ? <span class="joiner">and</span> : null}
          <span class="filter-group" role="group" aria-label={`Filter group ${gi + 1}${group.length > 1 ? " (any of)" : ""}`}>
            {group.map((c, ci) => {
              const text = describeCondition(c);
              return (
                <>
                  {ci > 0 ? <span class="joiner or">or</span> : null}
                  <span class="filter-chip">
                    <span class="filter-text">{text}</span>
                    <a class="filter-remove" href={usersUrl(envId, removeCondition(view, gi, ci))} aria-label={`Remove filter: ${text}`} title="Remove">×</a>
                  </span>
                </>
              );
            })}
            <button type="button" class="btn link small or-add" hx-get={builderUrl(envId, view, gi)} hx-target="#filter-builder" hx-swap="innerHTML" aria-label={`Add an OR condition to group ${gi + 1}`}>
              + or
            </button>
          </span>
        </>
      ))}
      <button type="button" class="btn small" id="add-filter" hx-get={builderUrl(envId, view, "new")} hx-target="#filter-builder" hx-swap="innerHTML">
        + Add filter
      </button>
      {view.groups.length > 0 ? <a class="clear-filters" href={usersUrl(envId, { ...view, groups: [], segment: undefined })}>Clear filters</a> : null}
    </div>
  );
}
