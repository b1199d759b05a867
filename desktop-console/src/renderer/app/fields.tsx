interface ChoiceFieldProps<T extends string> {
  readonly label: string;
  readonly name: string;
  readonly value: T;
  readonly choices: readonly T[];
  /** What a choice reads as. */
  readonly choiceLabel: (choice: T) => string;
  readonly onChange: (choice: T) => void;
  readonly disabled?: boolean;
}

/** A form's labelled drop-down over a fixed set of choices. */
export function ChoiceField<T extends string>({ label, name, value, choices, choiceLabel, onChange, disabled }: ChoiceFieldProps<T>) {
  return (
    <label>
      {label}
      <select name={name} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as T)}>
        {choices.map((c) => (
          <option key={c} value={c}>
            {choiceLabel(c)}
          </option>
        ))}
      </select>
    </label>
  );
}
