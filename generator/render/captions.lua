-- HTML only: "Tableau 1 : ..." and "Figure 1 : ..." as the DOCX and ODT writers number their
-- captions themselves (native_numbering), so that the numbers of the text match every format.
local NBSP = "\u{00A0}"
local counts = { Table = 0, Figure = 0 }
local WORDS = { Table = "Tableau", Figure = "Figure" }

local function numbered(kind)
  return function(el)
    local long = el.caption.long
    if #long == 0 or not long[1].content then return nil end
    counts[kind] = counts[kind] + 1
    local label = pandoc.Inlines({
      pandoc.Str(WORDS[kind]), pandoc.Str(NBSP .. counts[kind] .. NBSP .. ":"), pandoc.Space(),
    })
    long[1].content = label .. long[1].content
    el.caption.long = long
    return el
  end
end

return { { Table = numbered("Table"), Figure = numbered("Figure") } }
