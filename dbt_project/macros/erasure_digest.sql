{#-
    int_customers_erased: the keyed hash (rapport_hmac, as forget and the export remember keys) of
    the identity key `form` names: 'id', 'email', else a phone ('e164' when given, the parsed one).
-#}
{% macro erasure_digest(form, id_key, email_key, phone_key, e164_key=none) -%}
    rapport_hmac(case {{ form }}
        when 'id' then {{ id_key }}
        when 'email' then {{ email_key }}
        {% if e164_key is not none %}when 'e164' then {{ e164_key }}{% endif %}
        else {{ phone_key }}
    end)
{%- endmacro %}
