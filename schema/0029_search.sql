-- 0029: the inspector's cross-village search (cunji search, household --id,
-- fund trace).  Names as clerks type them differ in width, spaces and the
-- company suffix; document numbers in their brackets.  name_norm() and
-- doc_norm() give the one form both sides are compared in, and indexes let
-- an ID number or a bank account be found in every village at once.

-- A name's one form: full-width ASCII (Ａ１（) as half-width, no spaces of
-- any width, lower case, and 有限责任公司 / 股份有限公司 / 有限公司 as 公司.
CREATE FUNCTION name_norm(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT regexp_replace(
	         regexp_replace(lower(translate(t,
	           '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～',
	           '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~')), '[[:space:]　]+', '', 'g'),
	         '(股份有限公司|有限责任公司|有限公司)', '公司', 'g')
$$;

-- A document number's one form (靖财农〔2025〕12号 = 靖财农[2025]12号 =
-- 靖财农（2025）12号): name_norm's, with every bracket pair as ( ).
CREATE FUNCTION doc_norm(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT translate(name_norm(t), '〔[【〖{〈《〕]】〗}〉》', '((((((()))))))')
$$;

-- ID numbers and bank accounts in every village: household --id and search
CREATE INDEX household_head_id_number ON household (head_id_number);
CREATE INDEX household_member_id_number ON household_member (id_number);
CREATE INDEX household_bank_account ON household ((replace(bank_account, ' ', '')))
	WHERE bank_account <> '';
