// All native builtins, exported as rt_bi_<name> (dots become underscores). Only rt_* names are re-exported:
// the helpers the files share stay internal to the module.
export { rt_set_strict } from "./mode";
export { rt_bi_plus, rt_bi_minus, rt_bi_mul, rt_bi_div, rt_bi_rem, rt_bi_abs, rt_bi_round, rt_bi_ceil, rt_bi_floor, rt_bi_numbers_range, rt_bi_and, rt_bi_or, rt_bi_numbers_range_step } from "./arith";
export { rt_bi_equal, rt_bi_neq, rt_bi_lt, rt_bi_lte, rt_bi_gt, rt_bi_gte } from "./comparison";
export { rt_bi_is_null, rt_bi_is_boolean, rt_bi_is_number, rt_bi_is_string, rt_bi_is_array, rt_bi_is_object, rt_bi_is_set, rt_bi_type_name } from "./types";
export { rt_bi_count, rt_bi_sum, rt_bi_product, rt_bi_max, rt_bi_min, rt_bi_sort, rt_bi_any, rt_bi_all } from "./aggregates";
export { rt_bi_startswith, rt_bi_endswith, rt_bi_contains, rt_bi_indexof, rt_bi_indexof_n, rt_bi_concat, rt_bi_split, rt_bi_replace, rt_bi_trim, rt_bi_trim_left, rt_bi_trim_right, rt_bi_trim_prefix, rt_bi_trim_suffix, rt_bi_trim_space, rt_bi_lower, rt_bi_upper, rt_bi_substring, rt_bi_format_int, rt_bi_to_number } from "./strings";
export { rt_bi_strings_reverse, rt_bi_strings_count, rt_bi_strings_split_n, rt_bi_strings_replace_n, rt_bi_strings_any_prefix_match, rt_bi_strings_any_suffix_match } from "./strings-ns";
export { rt_bi_sprintf } from "./sprintf";
export { rt_bi_object_get, rt_bi_object_keys, rt_bi_object_remove, rt_bi_object_union, rt_bi_array_concat, rt_bi_array_slice, rt_bi_union, rt_bi_intersection, rt_bi_internal_member_2, rt_bi_internal_member_3, rt_bi_array_reverse, rt_bi_object_filter, rt_bi_object_union_n } from "./collections";
export { rt_bi_json_marshal, rt_bi_json_unmarshal, rt_bi_json_is_valid } from "./json";
export { rt_bi_base64_encode, rt_bi_base64_decode, rt_bi_base64url_encode, rt_bi_base64url_decode } from "./encoding";
export { rt_bi_cast_array, rt_bi_cast_set, rt_bi_cast_string, rt_bi_cast_boolean, rt_bi_cast_null, rt_bi_cast_object } from "./casts";
export { rt_bi_units_parse_bytes, rt_bi_units_parse } from "./units";
export { rt_bi_print } from "./print";
export { rt_bi_regex_match, rt_bi_re_match, rt_bi_regex_is_valid } from "./regex";
