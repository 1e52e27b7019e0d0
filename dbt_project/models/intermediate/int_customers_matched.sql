-- One row per source customer id (from customers, or seen only in orders),
-- mapped to the canonical customer_id of its person, erased people included
-- (int_customers_resolved drops them).
with

customers as (

    select * from {{ ref('int_customers_as_of') }}

),

orders as (

    select * from {{ ref('int_orders_as_of') }}

),

customer_accounts as (

    select
        customer_id as source_customer_id,
        email,
        signed_up_at,
        true as has_customer_record

    from customers

),

-- ids that order but never landed in customers are people too
order_only_accounts as (

    select distinct
        orders.customer_id as source_customer_id,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_timestamp() }}) as signed_up_at,
        false as has_customer_record

    from orders
    left join customers
        on orders.customer_id = customers.customer_id
    where
        customers.customer_id is null
        -- an erased person's orders stay without a customer id (pipelines/forget)
        and orders.customer_id is not null
        and orders.ordered_at < {{ as_of_date() }}

),

accounts as (

    select * from customer_accounts
    union all
    select * from order_only_accounts

),

-- one person = one normalised email; an account without email is its own person
accounts_keyed as (

    select
        *,
        case
            when email is not null then {{ dbt.concat(["'email:'", 'email']) }}
            else {{ dbt.concat(["'id:'", 'source_customer_id']) }}
        end as person_key

    from accounts

),

-- the earliest sign-up (then the smallest id) names the person, so the id is
-- stable when a newer duplicate account appears
accounts_ranked as (

    select
        *,
        row_number() over (
            partition by person_key
            order by signed_up_at asc nulls last, source_customer_id asc
        ) as account_rank

    from accounts_keyed

),

canonical_ids as (

    select
        person_key,
        source_customer_id as customer_id

    from accounts_ranked
    where account_rank = 1

),

final as (

    select
        accounts_ranked.source_customer_id,
        canonical_ids.customer_id,
        accounts_ranked.email,
        accounts_ranked.signed_up_at,
        accounts_ranked.has_customer_record,
        accounts_ranked.account_rank = 1 as is_canonical

    from accounts_ranked
    inner join canonical_ids
        on accounts_ranked.person_key = canonical_ids.person_key

)

select * from final
