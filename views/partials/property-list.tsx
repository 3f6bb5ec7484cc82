// A searchable key/value list: views/assets/user-page.js filters its rows as the user types.
import type { PropertyEntry, PropertyGroup } from "../../src/users/user";

const GROUPS: { group: PropertyGroup; title: string }[] = [
  { group: "user", title: "User properties" },
  { group: "initial", title: "Initial properties (first session)" },
];

export function PropertyList(props: { id: string; entries: PropertyEntry[]; label: string }) {
  const inputId = `${props.id}-search`;
  return (
    <div class="prop-list" data-filter-list>
      <label class="sr-only" for={inputId}>{`Search ${props.label.toLowerCase()}`}</label>
      <input
        id={inputId}
        type="search"
        class="prop-search"
        placeholder={`Search ${props.entries.length} ${props.label.toLowerCase()}…`}
        autocomplete="off"
        spellcheck={false}
        data-filter-input
        aria-controls={props.id}
      />
      {props.entries.length === 0 ? (
        <p class="muted small">No properties yet. Send some with <code>addUserProperties</code> or the server API.</p>
      ) : (
        <table class="kv" id={props.id}>
          {GROUPS.map(({ group, title }) => {
            const rows = props.entries.filter((p) => p.group === group);
            return rows.length === 0 ? null : (
              <tbody data-filter-group>
                <tr class="kv-group">
                  <th scope="colgroup" colspan={2}>{title}</th>
                </tr>
                {rows.map((p) => (
                  <tr data-filter-item>
                    <th scope="row">{p.key}</th>
                    <td class="kv-value">{p.value}</td>
                  </tr>
                ))}
              </tbody>
            );
          })}
        </table>
      )}
      <p class="muted small" data-filter-empty hidden>No property matches.</p>
    </div>
  );
}
