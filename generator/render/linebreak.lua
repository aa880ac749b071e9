-- Turn U+2028 (LINE SEPARATOR), which escape.py writes for a newline inside a value, into a
-- real line break. A newline cannot stand in the Markdown itself: in a pipe-table cell it
-- would end the row, in running text it would be a mere space.
local SEP = "\u{2028}"

function Str(el)
  if not el.text:find(SEP, 1, true) then
    return nil
  end
  local out = pandoc.Inlines({})
  local rest = el.text
  while true do
    local i, j = rest:find(SEP, 1, true)
    if not i then break end
    if i > 1 then out:insert(pandoc.Str(rest:sub(1, i - 1))) end
    out:insert(pandoc.LineBreak())
    rest = rest:sub(j + 1)
  end
  if rest ~= "" then out:insert(pandoc.Str(rest)) end
  return out
end
