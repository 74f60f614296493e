import { PROVIDERS, REGIONS, type CloudProvider, type Region } from './regions.js';

/** Cloud provider and one of its regions; choosing a provider moves the region to its first. */
export function RegionPicker({ provider, region, onChange }: { provider: CloudProvider; region: Region; onChange(provider: CloudProvider, region: Region): void }) {
  return (
    <>
      <label>
        Cloud provider
        <select
          value={provider}
          onChange={(e) => {
            const next = e.currentTarget.value as CloudProvider;
            onChange(next, REGIONS[next][0]);
          }}
        >
          {PROVIDERS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label>
        Region
        <select value={region} onChange={(e) => onChange(provider, e.currentTarget.value as Region)}>
          {REGIONS[provider].map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
