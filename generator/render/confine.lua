-- What a document may pull in: only the images the build wrote next to it, no raw HTML, no
-- metadata of its own. Templates come from territory overrides, and pandoc's --embed-resources
-- would otherwise copy any file it is pointed at (an image, a stylesheet) into the HTML.
-- A refused image is reported on stderr with the CIL_REFUSED prefix; pandoc.py turns it into
-- an error.

-- The metadata cil sets itself (pandoc.py); a YAML block in a template may not add `css`,
-- `header-includes` or anything else that reaches a file or the HTML head.
local KEEP_META = {
  ["title"] = true, ["subtitle"] = true, ["author"] = true, ["date"] = true,
  ["toc-title"] = true, ["lang"] = true,
}

local function own_file(src)
  if src == "" or src:find("^[/\\]") or src:find(":") or src:find("%%") then
    return false
  end
  for part in src:gmatch("[^/\\]+") do
    if part == ".." then return false end
  end
  return true
end

local function refuse_foreign(el)
  if own_file(el.src) then return nil end
  io.stderr:write("CIL_REFUSED " .. el.src .. "\n")
  return el.caption
end

-- Raw blocks stay only for Word: the default templates use one for a page break.
local function keep_openxml(el)
  if el.format == "openxml" then return nil end
  return {}
end

local function only_ours(meta)
  for key, _ in pairs(meta) do
    if not KEEP_META[key] then meta[key] = nil end
  end
  return meta
end

return {
  { Meta = only_ours },
  { Image = refuse_foreign, RawInline = keep_openxml, RawBlock = keep_openxml },
}
