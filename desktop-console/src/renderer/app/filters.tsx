import type { CategoryInfo, CommuneInfo } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';

interface FilterSelectProps {
  readonly label: string;
  /** The first choice, which filters nothing out. */
  readonly all: string;
  readonly value: string | null;
  readonly onChange: (value: string | null) => void;
  readonly options: readonly { readonly value: string; readonly label: string }[];
}

/** A drop-down of a filter bar: everything, or one value. */
export function FilterSelect({ label, all, value, onChange, options }: FilterSelectProps) {
  return (
    <select aria-label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
      <option value="">{all}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** Every category, or one. */
export function CategoryFilter({ categories, value, onChange }: { readonly categories: readonly CategoryInfo[]; readonly value: string | null; readonly onChange: (value: string | null) => void }) {
  const { t, label } = useI18n();
  return <FilterSelect label={t('filter.category')} all={t('filter.allCategories')} value={value} onChange={onChange} options={categories.map((c) => ({ value: c.id, label: label(c.labels, c.id) }))} />;
}

/** Every quartier of the commune, or one. */
export function QuartierFilter({ commune, value, onChange }: { readonly commune: CommuneInfo | undefined; readonly value: string | null; readonly onChange: (value: string | null) => void }) {
  const { t } = useI18n();
  return <FilterSelect label={t('filter.quartier')} all={t('filter.allQuartiers')} value={value} onChange={onChange} options={(commune?.quartiers ?? []).map((q) => ({ value: q.id, label: q.name }))} />;
}
